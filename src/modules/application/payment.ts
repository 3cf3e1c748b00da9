/**
 * Online payment (网上缴费) is an adapter: a provider (a bank's or the provincial non-tax payment
 * platform's gateway) would implement this interface and be set with setPaymentProvider. None is
 * connected in this installation, so paymentProvider() is null and the public fee page says plainly
 * that online payment is not available and how to pay instead (window or bank transfer).
 */
export interface PaymentProvider {
  readonly name: string;
  /** Starts a payment for a notice; returns where to send the payer. */
  createPayment(notice: {
    id: number;
    caseNumber: string;
    amountFen: number;
    description: string;
  }): Promise<{ redirectUrl: string }>;
  /** Checks a provider's callback and returns the paid notice and the provider's reference, or null. */
  verifyCallback(payload: unknown): Promise<{ noticeId: number; reference: string; paidOn: string } | null>;
}

let provider: PaymentProvider | null = null;

export function setPaymentProvider(next: PaymentProvider | null): void {
  provider = next;
}

export function paymentProvider(): PaymentProvider | null {
  return provider;
}
