// Every kernel family this version has (src/tune/family.ts): what TVAE_KERNELS names, what a run's
// kernels.json may hold (src/tune/record.ts checks against this list), and what the tuner times.
import type { Family, KernelShape } from '../tune/family.ts';
import { CONV_FAMILIES } from './conv_family.ts';
import { GEMM_FAMILIES } from './gemm.ts';

export const KERNEL_FAMILIES = [...GEMM_FAMILIES, ...CONV_FAMILIES] as unknown as readonly Family<unknown, KernelShape>[];
