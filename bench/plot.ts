import type { BenchResults, BenchSummary } from './summary.ts';

/**
 * The throughput plot written next to each results file: one horizontal bar per stage (records/s),
 * each stage's ceilings in a lighter shade beside it, and the Parquet engines. Plain SVG, no
 * dependencies, so it renders in a browser, GitHub and docs/.
 */
export interface Bar {
  group: string;
  label: string;
  value: number | null;
  kind: 'stage' | 'ceiling' | 'engine';
}

export function throughputBars(s: BenchSummary, r: BenchResults): Bar[] {
  const bars: Bar[] = [
    {
      group: 'Kafka → Parquet in S3',
      label: 'Kafka consume ceiling (kafkajs)',
      value: s.consume_ceiling_records_per_s,
      kind: 'ceiling',
    },
    {
      group: 'Kafka → Parquet in S3',
      label: `Parquet encode ceiling (${r.encodeCeiling?.engine ?? '?'})`,
      value: s.encode_ceiling_records_per_s,
      kind: 'ceiling',
    },
    { group: 'Kafka → Parquet in S3', label: 'embedded writer', value: s.writer_records_per_s, kind: 'stage' },
    { group: 'Kafka → Parquet in S3', label: 'Flink job (MiniCluster)', value: s.flink_records_per_s, kind: 'stage' },
  ];
  for (const sp of r.streamProcessor) {
    const g = `stream processor, batch ${sp.batchSize.toLocaleString('en-US')}`;
    bars.push({ group: g, label: 'handler alone (no Kafka)', value: sp.withoutKafkaRecordsPerS ?? null, kind: 'ceiling' });
    bars.push({ group: g, label: 'kafkajs producer alone (acks=all)', value: sp.kafkaOnlyRecordsPerS ?? null, kind: 'ceiling' });
    bars.push({
      group: g,
      label: 'Java producer, same settings (reference)',
      value: sp.javaProducerRecordsPerS ?? null,
      kind: 'ceiling',
    });
    bars.push({ group: g, label: 'handler → Kafka', value: sp.recordsPerS, kind: 'stage' });
  }
  for (const e of r.engines)
    bars.push({ group: 'Parquet engines (encode only)', label: e.engine, value: e.rowsPerS ?? null, kind: 'engine' });
  return bars;
}

const COLOURS: Record<Bar['kind'], string> = { stage: '#1f6feb', ceiling: '#9ec5fe', engine: '#8250df' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function throughputSvg(bars: readonly Bar[], title: string): string {
  const rowH = 22;
  const groupGap = 26;
  const labelW = 340;
  const plotW = 520;
  // Log scale from 1 000/s: ceilings are 10–50× the stages, which a linear axis would flatten.
  const floor = 1_000;
  const max = Math.max(floor * 10, ...bars.map((b) => b.value ?? 0));
  const scale = (v: number) => (plotW * Math.log10(Math.max(v, floor) / floor)) / Math.log10(max / floor);
  const groups = [...new Set(bars.map((b) => b.group))];
  let y = 56;
  const parts: string[] = [];
  for (const g of groups) {
    parts.push(`<text x="10" y="${y}" font-weight="bold">${esc(g)}</text>`);
    y += 8;
    for (const b of bars.filter((x) => x.group === g)) {
      const w = b.value === null ? 0 : Math.max(1, scale(b.value));
      parts.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>`);
      parts.push(`<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${COLOURS[b.kind]}"/>`);
      parts.push(
        `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}">${b.value === null ? 'not measured' : b.value.toLocaleString('en-US')}</text>`,
      );
      y += rowH;
    }
    y += groupGap - 8;
  }
  const height = y + 10;
  const width = labelW + plotW + 120;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="10" y="40" fill="#555">records (rows) per second, log scale from 1,000; dark: the stage, light: its ceilings, purple: Parquet engines</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
