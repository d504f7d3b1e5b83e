// The reference paper's table (Gaussian VAE / t-prior VAE), the figures this project reproduces.
export const REFERENCE = {
  reconstructionMse: { gaussian: 0.0179, t: 0.0182 },
  random: {
    predictionMse: { gaussian: 0.028, t: 0.0247 },
    imputationMse: { gaussian: 0.0091, t: 0.0081 },
    predictionSsim: { gaussian: 0.7676, t: 0.815 },
    imputationSsim: { gaussian: 0.9443, t: 0.9523 },
  },
  squares: {
    predictionMse: { gaussian: 0.0452, t: 0.0405 },
    imputationMse: { gaussian: 0.0244, t: 0.0222 },
    predictionSsim: { gaussian: 0.5746, t: 0.6506 },
    imputationSsim: { gaussian: 0.8247, t: 0.8469 },
  },
} as const;
