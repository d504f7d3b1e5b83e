// Counter-based random numbers: Philox-4x32-10 (Salmon et al. 2011) of a counter under a key, and
// the maps from its 32-bit words to uniforms and normals. src/ref/sample_eps.ts is the reference.
// Included by sample_eps.wgsl, mwg_accept.wgsl and mwg_table.wgsl; uses no name of theirs.

// 32x32 -> 64-bit product as (hi, lo); WGSL has no widening multiply
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu; let a1 = a >> 16u;
  let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  let hi = p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
  return vec2<u32>(hi, a * b);
}

fn philox(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = counter;
  var k = key;
  for (var i = 0u; i < 10u; i++) {
    let p0 = mulhilo(0xD2511F53u, c.x);
    let p1 = mulhilo(0xCD9E8D57u, c.z);
    c = vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
    k += vec2<u32>(0x9E3779B9u, 0xBB67AE85u);
  }
  return c;
}

// uniform strictly inside (0, 1): the top 23 bits, centred. Every value (k + 0.5) / 2^23 is exact in
// f32; with 24 bits the largest, (2^24 - 0.5) / 2^24, would round to exactly 1.0 and log(u) to 0.
fn uniform01(x: u32) -> f32 { return (f32(x >> 9u) + 0.5) * (1.0 / 8388608.0); }

// Box-Muller angle in (-pi, pi): WGSL bounds the error of sin and cos only on [-pi, pi]
fn angle(x: u32) -> f32 { return 6.283185307179586 * (uniform01(x) - 0.5); }

// one standard normal from two words (Box-Muller, the cosine half)
fn normal1(radius: u32, theta: u32) -> f32 { return sqrt(-2.0 * log(uniform01(radius))) * cos(angle(theta)); }
