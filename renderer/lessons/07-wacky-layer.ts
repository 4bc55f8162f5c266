// The exercise "implement a wacky custom layer": here, fix one whose backward is wrong.
import { defineLesson } from './lesson';
import { setUpLab } from './set-up';
import { LESSON_WACKY_SOURCE, LESSON_WACKY_TYPE } from './wacky-broken';

const FILE = 'user:lesson-wacky.js';

export default defineLesson({
  id: 'wacky-layer',
  title: 'The wacky custom layer',
  idea: 'A layer of your own needs a forward and a backward that agree; a gradient check against finite differences tells whether they do.',
  look: 'The Gradient check compares the layer’s backward() with central differences, entry by entry. For y = x ⊙ σ(a ⊙ x) the gradient for a is right and the one for x is not.',
  task: 'Fix backward() in the editor (x appears twice in y: outside σ and inside it) and press Load my fix.',
  editor: {
    file: FILE,
    source: LESSON_WACKY_SOURCE,
    label: 'The lesson’s plugin, LessonWacky',
    reveal: 'backward(ctx',
  },
  async setUp(app) {
    const ok = await setUpLab(app, {
      view: 'gradcheck',
      expand: true,
      before: ({ lab, plugins }) => {
        plugins.useSource({ file: FILE, origin: 'user', source: LESSON_WACKY_SOURCE });
        lab.settings.gradcheckLayer = LESSON_WACKY_TYPE;
      },
    });
    return ok;
  },
  observe({ lab }) {
    const r = lab.result('gradcheck');
    if (!r || r.layer !== LESSON_WACKY_TYPE || r.tensors.length === 0) return null;
    return {
      ok: r.ok && !r.error,
      failing: r.tensors.filter((t) => !t.ok).map((t) => t.name),
      worst: Math.max(...r.tensors.map((t) => t.maxRelError)),
      names: r.tensors.map((t) => t.name),
    };
  },
  check(now, start) {
    if (start.ok || !now.ok) return null;
    return `backward() and finite differences agree on every gradient (${now.names.join(', ')}; largest relative error ${now.worst.toExponential(1)}), where ${start.failing.join(' and ')} failed before.`;
  },
});
