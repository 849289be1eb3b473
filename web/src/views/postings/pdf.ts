// Opening and downloading a filed PDF with the session's token.
import { ElMessage } from 'element-plus';
import { ApiFailure, fetchBlob } from '../../api/client';
import { failureText } from '../../messages/errors';

async function blobUrl(path: string): Promise<string | null> {
  try {
    return URL.createObjectURL(await fetchBlob(path));
  } catch (error) {
    if (error instanceof ApiFailure) ElMessage.error(failureText(error));
    return null;
  }
}
export async function openPdf(path: string) {
  // The window opens at once (before the download) so a pop-up blocker lets it through.
  const target = window.open('', '_blank');
  const url = await blobUrl(path);
  if (url && target) target.location.href = url;
  else target?.close();
}
export async function downloadPdf(path: string, name: string) {
  const url = await blobUrl(path);
  if (!url) return;
  const a = document.createElement('a');
  a.href = url;
  a.download = name.endsWith('.pdf') ? name : `${name}.pdf`;
  a.click();
}
