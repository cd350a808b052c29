// Leakage measurements: canaries (templates, insertion), exposure and extraction, membership inference.
export * from './canary-template';
export * from './canary-insert';
export * from './exposure';
export * from './mia';
export * from './privacy-model';
export * from './skew-normal';
export * from './forget-select';
export * from './control-canary';
