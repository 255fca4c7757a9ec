// Source files for the three projects, synthesized from identifier pools: plausible enough to be
// read, grepped, edited and re-read. A file's text depends only on the session seed and its path.
import type { Domain } from './domains';
import { Rng } from './rng';

const PY_STMTS = [
  'if not {a}:\n        return {a}',
  '{a} = [r for r in {b} if r.get("{n}_id") is not None]',
  'log.debug("{v}ing %s", {a})',
  '{a} = self._{n}_cache.get(key)',
  'for {a} in {b}:\n        self._{v}({a})',
  'cutoff = {b}.max_ts - self.window',
  '{a} = {b}.filter(pl.col("{n}_ts") >= cutoff)',
  'raise SchemaError(f"missing column {{{a}!r}}")',
  'counts[{a}.partition] += len({a})',
  '{a} = {b}.with_columns(pl.lit(run_id).alias("run_id"))',
  'assert {a} is not None, "{n} must be resolved before {v}"',
  'yield from self._{v}_{n}s({a})',
];
const GO_STMTS = [
  'if err != nil {\n\t\treturn {r}, fmt.Errorf("{v} {n}: %w", err)\n\t}',
  '{a} := make(map[string]{t}, len({b}))',
  'w.log.Debug().Str("{n}", {a}.ID.String()).Msg("{v}")',
  'select {\n\tcase <-ctx.Done():\n\t\treturn {r}, ctx.Err()\n\tcase {a} = <-w.ready:\n\t}',
  'defer w.mu.Unlock()',
  'w.metrics.{N}Total.Inc()',
  'for _, {a} := range {b} {\n\t\tw.pending = append(w.pending, {a})\n\t}',
  'if {a} == nil {\n\t\treturn {r}, Err{N}NotFound\n\t}',
  '{a}.Attempts++',
  'next := w.backoff.Next({a}.Attempts)',
  '// TODO: surface {n} errors to the dead-letter table',
  'sig := hmac.New(sha256.New, w.secret)',
];
const RS_STMTS = [
  'let {a} = self.{n}s.get(&key).copied();',
  'if {a}.is_empty() {\n        return Ok({r});\n    }',
  'let {a} = find_newline(&{b}[pos..]).map(|i| i + pos);',
  'for {a} in {b}.iter() {\n        self.{v}_{n}({a})?;\n    }',
  'debug!("{v} {n} at {{}}", {a}.start);',
  'let {a} = {b}.get(start..end).ok_or(Error::Truncated)?;',
  'self.stats.{n}s_seen += 1;',
  'let {a}: Vec<_> = {b}.windows(2).map(|w| w[1] - w[0]).collect();',
  'match {a} {\n        Some(s) => out.push(s),\n        None => continue,\n    }',
  '// TODO: {n} spans that cross a block boundary',
  'let {a} = parse_ts(&{b}[..ts_len]).with_context(|| format!("{n} at {{}}", pos))?;',
  'assert!({a}.start <= {a}.end, "inverted {n}");',
];

/** Lines that the domain's usual grep patterns find. */
const GREP_STMTS: Record<string, string[]> = {
  python: ['if rec["ingested_at"] < self.watermark:\n        continue', 'late_events.append(rec)', 'self._sink.flush(force=False)', '# TODO: drop this once late_events has its own table', 'return dedupe(frame, keys=("event_id", "ingested_at"))'],
  go: ['if errors.Is(err, ErrLeaseLost) {\n\t\treturn {r}, err\n\t}', 'req.Header.Set("X-Relay-Signature", sig)', 'w.retryBudget.Spend(1)', 'd.Nack(ctx, err)', '// TODO: make retryBudget per endpoint', 'rows, err := w.pool.Query(ctx, q) // pgx.Rows'],
  rust: ['let span = Span { start, end };', 'self.seek(off)?;', 'let ts = parse_ts(&line[..n])?;', 'let reader = BufReader::new(file);', '// TODO: avoid unwrap() on the hot path', 'let entry = self.entries.get(i).unwrap();'],
};

const VARS = ['items', 'rows', 'batch', 'cur', 'rec', 'span', 'buf', 'found', 'entry', 'acc', 'next', 'chunk'];

function fill(rng: Rng, d: Domain, pool: string): string {
  const stmt = rng.chance(0.15) ? rng.pick(GREP_STMTS[d.lang]!) : pool;
  const n = rng.pick(d.nouns);
  const v = rng.pick(d.verbs);
  const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
  return stmt
    .replace(/\{a\}/g, rng.pick(VARS))
    .replace(/\{b\}/g, rng.pick(VARS))
    .replace(/\{n\}/g, lower(n))
    .replace(/\{N\}/g, n.charAt(0).toUpperCase() + n.slice(1))
    .replace(/\{v\}/g, lower(v))
    .replace(/\{t\}/g, rng.pick(d.types))
    .replace(/\{r\}/g, rng.pick(['nil', '0', '""', 'false']));
}

function pyFile(rng: Rng, d: Domain, path: string, fns: number): string {
  const mod = path.split('/').pop()!.replace('.py', '');
  const out = [`"""${mod}: ${rng.pick(d.topics)} for the ${d.project} pipeline."""`, 'from __future__ import annotations', '', 'import logging', 'from dataclasses import dataclass, field', 'from typing import Iterator', '', 'import polars as pl', 'import pyarrow as pa', '', 'log = logging.getLogger(__name__)', ''];
  const cls = rng.pick(d.nouns).replace(/^./, (c) => c.toUpperCase()) + rng.pick(['Stage', 'Runner', 'Step', 'Pass']);
  out.push('', '@dataclass', `class ${cls}:`, '    window: int = 900', '    run_id: str = ""', `    _cache: dict = field(default_factory=dict)`, '');
  for (let i = 0; i < fns; i++) {
    const name = `${rng.pick(d.verbs)}_${rng.pick(d.nouns)}${rng.chance(0.3) ? 's' : ''}`;
    out.push(`    def ${name}(self, ${rng.pick(VARS)}: ${rng.pick(d.types)}) -> ${rng.pick(d.types)}:`);
    out.push(`        """${rng.pick(d.verbs).replace(/^./, (c) => c.toUpperCase())} the ${rng.pick(d.nouns)}s of one ${rng.pick(d.nouns)}."""`);
    for (let j = rng.int(3, 9); j > 0; j--) out.push('        ' + fill(rng, d, rng.pick(PY_STMTS)).replace(/\n {4}/g, '\n        '));
    out.push(`        return ${rng.pick(VARS)}`, '');
  }
  return out.join('\n') + '\n';
}

function goFile(rng: Rng, d: Domain, path: string, fns: number): string {
  const pkg = path.split('/').slice(-2, -1)[0] ?? 'main';
  const out = [`// Package ${pkg} handles ${rng.pick(d.topics)}.`, `package ${pkg}`, '', 'import (', '\t"context"', '\t"fmt"', '\t"sync"', '\t"time"', '', '\t"github.com/rs/zerolog"', ')', ''];
  out.push('type Worker struct {', '\tmu      sync.Mutex', '\tpending []*Delivery', '\tready   chan *Delivery', '\tlog     zerolog.Logger', '\tsecret  []byte', '}', '');
  for (let i = 0; i < fns; i++) {
    const name = `${rng.pick(d.verbs)}${rng.pick(d.nouns)}`;
    out.push(`func (w *Worker) ${name}(ctx context.Context, ${rng.pick(VARS)} ${rng.pick(d.types)}) (${rng.pick(d.types)}, error) {`);
    for (let j = rng.int(3, 9); j > 0; j--) out.push('\t' + fill(rng, d, rng.pick(GO_STMTS)));
    out.push(`\treturn ${rng.pick(['nil', '0', '""'])}, nil`, '}', '');
  }
  return out.join('\n') + '\n';
}

function rsFile(rng: Rng, d: Domain, path: string, fns: number): string {
  const mod = path.split('/').pop()!.replace('.rs', '');
  const out = [`//! ${mod}: ${rng.pick(d.topics)}.`, '', 'use std::io::{self, BufRead, BufReader};', 'use std::ops::Range;', '', 'use anyhow::{Context, Result};', 'use log::debug;', '', 'use crate::parse::parse_ts;', ''];
  out.push('#[derive(Debug, Clone, Copy, PartialEq, Eq)]', 'pub struct Span {', '    pub start: u64,', '    pub end: u64,', '}', '');
  out.push(`impl ${mod === 'index' ? 'Index' : 'Span'} {`);
  for (let i = 0; i < fns; i++) {
    const name = `${rng.pick(d.verbs)}_${rng.pick(d.nouns)}`;
    out.push(`    pub fn ${name}(&self, ${rng.pick(VARS)}: ${rng.pick(d.types)}) -> Result<${rng.pick(d.types)}> {`);
    for (let j = rng.int(3, 9); j > 0; j--) out.push('        ' + fill(rng, d, rng.pick(RS_STMTS)).replace(/\n {4}/g, '\n        '));
    out.push(`        Ok(${rng.pick(['0', 'None', 'Vec::new()', 'out'])})`, '    }', '');
  }
  out.push('}', '');
  return out.join('\n') + '\n';
}

/** A source file's text; `big` files have several times more functions. */
export function synthFile(seed: string, d: Domain, path: string, big = false): string {
  const rng = new Rng(`${seed}:file:${path}`);
  const fns = big ? rng.int(48, 60) : rng.int(6, 14);
  if (d.lang === 'python') return pyFile(rng, d, path, fns);
  if (d.lang === 'go') return goFile(rng, d, path, fns);
  return rsFile(rng, d, path, fns);
}

/** `cat -n` numbering, as the Read tool returns it. */
export function numbered(text: string, from = 1): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.map((l, i) => `${String(i + from).padStart(6, ' ')}\t${l}`).join('\n');
}
