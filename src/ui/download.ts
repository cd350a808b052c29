// Saves bytes made in the page (or the worker) as a file download; nothing leaves the machine.

export function downloadBytes(bytes: Uint8Array<ArrayBuffer>, fileName: string, type = 'application/zip'): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
