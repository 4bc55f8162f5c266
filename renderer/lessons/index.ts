// The lessons, in the lecture's order: one file each (docs/lessons.md shows how to add one).
import forwardBackward from './01-forward-backward';
import bceSigmoid from './02-bce-sigmoid';
import localError from './03-local-error';
import weightGradients from './04-weight-gradients';
import blameWeight from './05-blame-weight';
import jacobians from './06-jacobians';
import wackyLayer from './07-wacky-layer';
import storedForBackprop from './08-stored-for-backprop';
import detach from './09-detach';
import freezeLower from './10-freeze-lower';
import type { AnyLesson } from './lesson';

export const LESSONS: readonly AnyLesson[] = [
  forwardBackward,
  bceSigmoid,
  localError,
  weightGradients,
  blameWeight,
  jacobians,
  wackyLayer,
  storedForBackprop,
  detach,
  freezeLower,
];

export type { AnyLesson, Lesson, LessonApp, LessonEditor } from './lesson';
