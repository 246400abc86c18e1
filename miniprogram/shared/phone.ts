/** A phone number as 我的 and bindPhone show it: the first 3 and last 4 digits, `138****0000`. */
export function maskPhone(purePhoneNumber: string): string {
  const digits = Array.from(purePhoneNumber);
  if (digits.length <= 4) return '****';
  // Shorter (non-mainland) numbers keep fewer leading digits, so at least 4 stay hidden.
  const head = Math.min(3, Math.max(0, digits.length - 8));
  return `${digits.slice(0, head).join('')}****${digits.slice(-4).join('')}`;
}
