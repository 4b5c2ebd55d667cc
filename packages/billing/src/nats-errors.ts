export { JS_ERR, jetStreamErrorCode } from '@stratus/registry';
