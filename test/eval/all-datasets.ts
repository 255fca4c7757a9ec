// Every data set `npm run eval` reports on, in order (datasets.ts says what a data set is).
import { corpusDataset, type EvalDataset, loreEvalDataset, plantedDataset } from './datasets';

export const DATASETS: readonly EvalDataset[] = [plantedDataset, corpusDataset, loreEvalDataset];
