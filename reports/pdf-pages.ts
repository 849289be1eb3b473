// Page count of a PDF Chromium wrote: each page is an object with /Type /Page (the tree nodes
// are /Type /Pages). Chromium (Skia) writes page dictionaries uncompressed, so counting them
// is enough and avoids parsing the whole file.
export function countPdfPages(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  return text.match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
}
