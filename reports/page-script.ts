// Runs inside the report page (serialized by page.evaluate; Node's type stripping leaves plain
// JS). The project's tsconfig has no DOM lib, so the little DOM it touches is declared here.
interface ReportDocument {
  body: { innerHTML: string; offsetHeight: number };
  fonts: { ready: Promise<unknown> };
}

export async function replaceBody(html: string): Promise<void> {
  const doc = (globalThis as unknown as { document: ReportDocument }).document;
  doc.body.innerHTML = html;
  // Layout first, so the font slices the new text needs are requested before waiting for them.
  void doc.body.offsetHeight;
  await doc.fonts.ready;
}
