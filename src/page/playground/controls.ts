// The playground's toolbar: the test-digit picker (index, next, random) and "draw your own", the
// tools (mask, erase mask, ink) with the brush size, Clear, the protocol's two masks and Fill.
// Elements are found by `data-pg` attributes, not ids, so the component can sit in any page.

export type Tool = 'mask' | 'erase' | 'ink';

export interface ControlEvents {
  pick(index: number): void;
  next(): void;
  random(): void;
  draw(): void;
  clear(): void;
  random30(): void;
  squares(): void;
  fill(): void;
}

export interface Controls {
  root: HTMLElement;
  tool(): Tool;
  brush(): number;
  setTool(t: Tool): void;
  /** shows the chosen index (-1: a drawn digit) of `count` images; ink only on a drawn digit */
  showImage(index: number, count: number): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, pg?: string): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  if (pg) (e as HTMLElement).dataset.pg = pg;
  return e;
}

function button(text: string, pg: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button', textContent: text }, pg);
  b.addEventListener('click', onClick);
  return b;
}

export function createControls(on: ControlEvents): Controls {
  const root = el('div', { className: 'pg-controls' });

  const index = el('input', { type: 'number', min: '0', step: '1', value: '0' }, 'index');
  index.addEventListener('change', () => on.pick(Number(index.value)));
  const picker = el('div', { className: 'pg-row' });
  picker.append(el('label', { textContent: 'Test digit ' }), index, button('Next', 'next', on.next), button('Random', 'random', on.random), button('Draw your own', 'draw', on.draw));

  const tools = el('div', { className: 'pg-row' });
  const radios = new Map<Tool, HTMLInputElement>();
  for (const [t, text] of [['mask', 'Paint holes'], ['erase', 'Erase holes'], ['ink', 'Ink']] as const) {
    const r = el('input', { type: 'radio', name: 'pg-tool', value: t, checked: t === 'mask' }, `tool-${t}`);
    radios.set(t, r);
    const l = el('label');
    l.append(r, ` ${text}`);
    tools.append(l);
  }
  const brush = el('input', { type: 'range', min: '1', max: '8', step: '1', value: '3' }, 'brush');
  const brushText = el('span', { textContent: '3' });
  brush.addEventListener('input', () => (brushText.textContent = brush.value));
  const brushLabel = el('label', { textContent: 'Brush ' });
  brushLabel.append(brush, brushText);
  tools.append(brushLabel);

  const masks = el('div', { className: 'pg-row' });
  masks.append(button('Clear holes', 'clear', on.clear), button('Random 30%', 'random30', on.random30), button('50 squares', 'squares', on.squares), button('Fill', 'fill', on.fill));

  root.append(picker, tools, masks);
  return {
    root,
    tool: () => ([...radios].find(([, r]) => r.checked)?.[0] ?? 'mask'),
    brush: () => Number(brush.value),
    setTool(t) {
      const r = radios.get(t);
      if (r) r.checked = true;
    },
    showImage(i, count) {
      index.max = String(count - 1);
      index.value = i >= 0 ? String(i) : '';
      const ink = radios.get('ink')!;
      ink.disabled = i >= 0;
      if (i >= 0 && ink.checked) radios.get('mask')!.checked = true;
    },
  };
}
