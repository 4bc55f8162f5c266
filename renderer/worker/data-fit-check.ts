// The live check's last step: does the project's data fit the compiled network (features the
// Input, targets the output and the loss)? Training asks the same (core's fitData) when it
// starts; asking on every edit lets the builder show the problem on the node that must change
// before Train is pressed. The data is loaded once per data setting, not once per edit.
import type { Dataset } from '../../core/data/dataset';
import type { DataHost } from '../../core/data/resolve';
import type { CompiledGraph } from '../../core/graph/compile';
import type { Project } from '../../core/graph/schema';
import { loadProjectData } from '../../core/project/prepare';
import { fitData } from '../../core/train/fit';

/** `stamp` says which version of its CSV file the project reads (DataFiles.stamp). */
export type DataFitCheck = (project: Project, graph: CompiledGraph, stamp: string) => Promise<void>;

/**
 * A check that throws what training would throw about the data (it does not load, or does not
 * fit the network), with the node and field to show it at.
 */
export function createDataFitCheck(host: (project: Project) => Promise<DataHost>): DataFitCheck {
  let last: { key: string; data: Dataset | null; error: unknown } | null = null;
  return async (project, graph, stamp) => {
    const key = JSON.stringify([project.data, project.training.seed, stamp]);
    if (last?.key !== key) {
      try {
        last = {
          key,
          data: loadProjectData(project, await host(project)).data,
          error: null,
        };
      } catch (e) {
        last = { key, data: null, error: e };
      }
    }
    if (!last.data) throw last.error;
    fitData(graph, last.data, project.loss.type);
  };
}
