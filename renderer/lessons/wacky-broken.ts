// The lecture's wacky layer, y = x ⊙ σ(a ⊙ x), with one mistake in its backward for the student
// to find: the gradient for x forgets that x also sits inside σ(a ⊙ x). plugins/wacky.js is the
// right one.
export const LESSON_WACKY_TYPE = 'LessonWacky';

export const LESSON_WACKY_SOURCE = `// y = x * sigmoid(a * x), a learned per feature. Its gradient check fails: fix backward().
export default {
  type: '${LESSON_WACKY_TYPE}',
  description: 'the wacky layer of the lesson, with a broken backward',
  category: 'Lessons',
  params: {},
  build({ inShapes }) {
    return { outShape: inShapes[0], weights: { a: { shape: inShapes[0], init: 'ones' } } };
  },
  forward(ctx, x, { a }) {
    const y = ctx.zeros(x.shape),
      s = ctx.zeros(x.shape),
      n = a.data.length;
    for (let i = 0; i < x.data.length; i++) {
      s.data[i] = 1 / (1 + Math.exp(-a.data[i % n] * x.data[i]));
      y.data[i] = x.data[i] * s.data[i];
    }
    ctx.save(x, s);
    return y;
  },
  backward(ctx, gy, { a }) {
    const [x, s] = ctx.saved,
      gx = ctx.zeros(x.shape),
      ga = ctx.zeros(a.shape),
      n = a.data.length;
    for (let i = 0; i < x.data.length; i++) {
      const ds = s.data[i] * (1 - s.data[i]);
      gx.data[i] = gy.data[i] * s.data[i];
      ga.data[i % n] += gy.data[i] * x.data[i] * x.data[i] * ds;
    }
    return { x: gx, a: ga };
  },
};
`;
