// Renders every sample report to a folder, for looking at them and for the demo:
//   node reports/render-samples.ts [outDir]   (default: data/report-samples)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { createReportRenderer, REPORT_TYPE_NAMES } from './index.ts';
import { REPORT_SAMPLES } from './samples/index.ts';

const outDir = path.resolve(process.argv[2] ?? 'data/report-samples');
const logger = pino({ level: 'warn' });
const renderer = createReportRenderer({ maxConcurrentPages: 2, logger });
try {
  await mkdir(outDir, { recursive: true });
  for (const type of REPORT_TYPE_NAMES) {
    const { data, meta } = REPORT_SAMPLES[type];
    const report = await renderer.render(type, data, meta);
    const file = path.join(outDir, `${type}.pdf`);
    await writeFile(file, report.pdf);
    console.log(`${file}  ${report.pages} pages  ${(report.bytes / 1024).toFixed(0)} KiB  sha256 ${report.sha256.slice(0, 12)}`);
  }
} finally {
  await renderer.close();
}
