// A Node module resolve hook for one thing: tfjs-core's gradient definitions ship only as ESM
// files written for bundlers, with extensionless relative imports ('./gradients/Abs_grad').
// Node needs the '.js', so it is added here for imports made from inside tfjs-core's dist/.
export async function resolve(specifier, context, next) {
  const fromTfjsCore = context.parentURL?.includes('/@tensorflow/tfjs-core/dist/') ?? false;
  if (fromTfjsCore && specifier.startsWith('.') && !/\.[cm]?js$/.test(specifier)) {
    return next(`${specifier}.js`, context);
  }
  return next(specifier, context);
}
