// Layer plugins: from a file's text to checked layer definitions in a registry.
export { pluginSourceToJs } from './source';
export {
  definitionsFromModule,
  validateDefinition,
  type PluginLayerDefinition,
  type GradcheckDeclaration,
} from './validate';
export {
  compareWithAutograd,
  type AutogradComparison,
  type CompareOptions,
} from './autograd-check';
export {
  PluginCatalog,
  type PluginStatus,
  type PluginLayerInfo,
  type PluginCheck,
  type PluginProblem,
  type EvaluateModule,
} from './catalog';
