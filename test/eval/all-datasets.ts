// Every data set `npm run eval` reports on, in order (datasets.ts says what a data set is).
import { type EvalDataset, loreEvalDataset, plantedDataset } from './datasets';

export const DATASETS: readonly EvalDataset[] = [plantedDataset, loreEvalDataset];
