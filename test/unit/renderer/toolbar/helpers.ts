// Mounting a component over the fresh stores of freshStores() (the same Pinia the test uses).
import { mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import type { Component } from 'vue';

export function mountWithStores(component: Component, props: Record<string, unknown> = {}) {
  const pinia = getActivePinia();
  if (!pinia) throw new Error('call freshStores() first');
  return mount(component, { props, global: { plugins: [pinia] }, attachTo: document.body });
}

export const progress = (over: Record<string, unknown> = {}) => ({
  state: 'running' as const,
  epoch: 12,
  epochs: 200,
  batch: 1,
  batchesPerEpoch: 10,
  loss: 0.0421337,
  samplesPerSecond: 12_345,
  steps: 111,
  recentLosses: [0.0421337],
  stepsPerSecond: null,
  ...over,
});
