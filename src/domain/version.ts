/**
 * The version of the HTTP API and of the runner protocol: the OpenAPI document, /api/info and a
 * runner's hello all say it, so a runner and its gateway can tell whether they speak alike.
 */
export const API_VERSION = '0.1.0';
