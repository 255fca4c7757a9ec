// Every data set `npm run eval` reports on, in order (datasets.ts says what a data set is).
import { corpusDataset, type EvalDataset, generator2Dataset, loreEvalDataset, plantedDataset } from './datasets';

export const DATASETS: readonly EvalDataset[] = [plantedDataset, generator2Dataset, corpusDataset, loreEvalDataset];
