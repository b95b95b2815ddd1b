import QRCode from 'qrcode';

/** An otpauth:// URI as an inline SVG QR code (rendered on the server; no script, no external image). */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, color: { dark: '#0f172a', light: '#ffffff' } });
}
