// Chart export: the SVG as a file, or rasterised to PNG in the page (no server involved).

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const style = getComputedStyle(svg);
  copy.style.background = getComputedStyle(document.body).backgroundColor;
  copy.style.color = style.color;
  return new XMLSerializer().serializeToString(copy);
}

export function exportSvg(svg: SVGSVGElement, fileName: string): void {
  download(new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }), `${fileName}.svg`);
}

export async function exportPng(svg: SVGSVGElement, fileName: string, scale = 2): Promise<void> {
  const { width, height } = svg.getBoundingClientRect();
  const url = URL.createObjectURL(new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const context = canvas.getContext('2d')!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (blob) download(blob, `${fileName}.png`);
  } finally {
    URL.revokeObjectURL(url);
  }
}
