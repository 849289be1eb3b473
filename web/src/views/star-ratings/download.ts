// Saves a protected PDF (plaque, rating list) under a Chinese file name: fetched with the session's token.
import { fetchBlob } from '../../api/client';

export async function downloadPdf(path: string, name: string): Promise<void> {
  const blob = await fetchBlob(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
