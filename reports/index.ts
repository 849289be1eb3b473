// Public face of the report module.
export { createReportRenderer, REPORT_TIME_ZONE } from './renderer.ts';
export type { RenderedReport, RendererStats, ReportRenderer, ReportRendererOptions } from './renderer.ts';
export { REPORT_TYPES, REPORT_TYPE_NAMES } from './report-types.ts';
export type { ReportDataByType, ReportTypeDefinition, ReportTypeName } from './report-types.ts';
export type { ReportMeta } from './contracts/meta.ts';
export { RendererClosedError, ReportDataError, ReportRenderError, ReportTemplateError, UnknownReportTypeError } from './errors.ts';
