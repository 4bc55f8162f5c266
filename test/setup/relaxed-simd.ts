// Unit tests run with relaxed SIMD available, as the command line does (cli/relaxed-simd.ts),
// so that the fast kernel is the one under test wherever the mode is 'fast'.
import { enableRelaxedSimd } from '../../cli/relaxed-simd';

enableRelaxedSimd();
