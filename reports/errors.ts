// Typed errors of the report renderer, so callers (activities, API) can tell bad input, which
// retrying cannot fix, from a browser failure, which a retry usually does.

/** The data or meta given for a report does not match its contract. Not retryable. */
export class ReportDataError extends Error {
  readonly code = 'REPORT_DATA_INVALID';
  readonly reportType: string;
  /** JSON-pointer-like path of the first offending field, e.g. `/entries/3/score`. */
  readonly path: string;
  readonly problems: ReadonlyArray<{ path: string; message: string }>;

  constructor(reportType: string, problems: ReadonlyArray<{ path: string; message: string }>) {
    const first = problems[0] ?? { path: '', message: 'invalid' };
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(`report "${reportType}": field ${first.path || '/'} ${first.message}${more}`);
    this.name = 'ReportDataError';
    this.reportType = reportType;
    this.path = first.path;
    this.problems = problems;
  }
}

/** No report type of that name is registered. Not retryable. */
export class UnknownReportTypeError extends Error {
  readonly code = 'REPORT_TYPE_UNKNOWN';
  readonly reportType: string;

  constructor(reportType: string, known: readonly string[]) {
    super(`unknown report type "${reportType}" (known: ${known.join(', ')})`);
    this.name = 'UnknownReportTypeError';
    this.reportType = reportType;
  }
}

/** A template failed while expanding (a strict-mode lookup of a field the data lacks). Not retryable. */
export class ReportTemplateError extends Error {
  readonly code = 'REPORT_TEMPLATE_FAILED';
  readonly reportType: string;

  constructor(reportType: string, cause: unknown) {
    super(`report "${reportType}": template failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ReportTemplateError';
    this.reportType = reportType;
  }
}

/** The browser failed to produce the PDF (crash, timeout, launch failure). Retryable. */
export class ReportRenderError extends Error {
  readonly code = 'REPORT_RENDER_FAILED';
  readonly reportType: string;

  constructor(reportType: string, cause: unknown) {
    super(`report "${reportType}": rendering failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ReportRenderError';
    this.reportType = reportType;
  }
}

/** The renderer was closed; no more reports can be rendered with it. */
export class RendererClosedError extends Error {
  readonly code = 'REPORT_RENDERER_CLOSED';

  constructor() {
    super('report renderer is closed');
    this.name = 'RendererClosedError';
  }
}
