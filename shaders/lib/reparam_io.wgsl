// The interface every posterior sampling + KL kernel shares (reparam_kl_gauss, reparam_kl_t,
// reparam_kl_full), so the latent parts are interchangeable: the uniform and the buffers, in
// binding order. nu is the t family's (0 for the others, which ignore it). Layouts are in each
// kernel's header. Uses no name of the including shader.
struct Params { M: u32, L: u32, ldH: u32, ldZ: u32, scale: f32, nu: f32, _p0: u32, _p1: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read> eps: array<f32>;
@group(0) @binding(3) var<storage, read_write> z: array<f32>;
@group(0) @binding(4) var<storage, read_write> kl: array<f32>;
@group(0) @binding(5) var<storage, read> dz: array<f32>;
@group(0) @binding(6) var<storage, read_write> dh: array<f32>;
