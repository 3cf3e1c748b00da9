/** The success message shown after a staff action (nothing when there is none). */
export function SuccessNotice({ notice }: { notice?: string | null }) {
  return notice ? (
    <p class="notice notice-success" role="status">
      {notice}
    </p>
  ) : null;
}
