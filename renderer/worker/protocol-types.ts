// Types the protocol shares with core (types only: nothing from core runs on the UI thread
// through this file).
export type {
  EpochStats,
  LabErrorPlace,
  MemoryReport,
  PluginStatus,
  PluginLayerInfo,
  Progress,
  ProjectInput,
  ProjectIssue,
  RunState,
} from '../../core';

/** What the builder needs to draw a compiled network: shapes, parameter counts, warnings. */
export interface CompiledSummary {
  nodes: Record<
    string,
    { outShape: number[]; paramCount: number; trainable: boolean; inShapes: number[][] }
  >;
  warnings: string[];
}
