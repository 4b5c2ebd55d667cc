// The init wrapper: evaluates after the function's module, top-level await included, and tells the runtime the
// function is loaded.
import * as functionModule from 'stratus:function';
import { ready } from 'stratus:runtime';

ready(functionModule);
