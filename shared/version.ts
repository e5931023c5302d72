// Replaced at bundle time by esbuild's `define`; the fallback serves the unbundled build and tests.
declare const __AKS_AIOPS_VERSION__: string | undefined;
export const APP_VERSION: string = typeof __AKS_AIOPS_VERSION__ === 'string' ? __AKS_AIOPS_VERSION__ : '0.1.0';
export const SERVICE_NAME = 'aiops-simulator';
