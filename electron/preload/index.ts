// The preload (built as CommonJS: a sandboxed preload cannot be an ES module, and may require
// nothing but 'electron').
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('lab', createBridge(ipcRenderer));
