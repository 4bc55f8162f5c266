// Layer plugins: from a file's text to checked layer definitions in a registry.
export { pluginSourceToJs, pluginSourceToScript, MAX_PLUGIN_SOURCE_BYTES } from './source';
export { sandboxEvaluator, type PluginConsoleSink } from './sandbox';
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
  type CatalogOptions,
} from './catalog';
