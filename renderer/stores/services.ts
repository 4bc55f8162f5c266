// The stores' two connections to the outside: the host (files, dialogs, menus) and the training
// worker. main.ts sets the real ones; tests set fakes before they create a Pinia.
import type { Host } from '../host/host';
import type { WorkerLink } from '../worker/client';

export interface Services {
  host: Host;
  worker: WorkerLink;
}

let current: Services | null = null;

export function setServices(services: Services): void {
  current = services;
}

export function services(): Services {
  if (!current) throw new Error('setServices() must run before the stores are used');
  return current;
}
