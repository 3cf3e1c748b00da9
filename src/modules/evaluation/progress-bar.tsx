/** A horizontal bar drawn as SVG (CSP-safe: attributes, no inline style) with its value as text. */
export function ProgressBar({ value, label, width = 160 }: { value: number; label: string; width?: number }) {
  const clamped = Math.max(0, Math.min(1, value));
  const text = `${Math.round(clamped * 100)}%`;
  return (
    <span class={`progress-bar${clamped >= 1 ? ' done' : ''}`}>
      <svg width={width} height={14} viewBox={`0 0 ${width} 14`} aria-hidden="true" focusable="false">
        <rect class="bar-track" x={0} y={0} width={width} height={14} rx={3} />
        <rect class="bar-fill" x={0} y={0} width={Math.round(clamped * width)} height={14} rx={3} />
      </svg>
      <span class="bar-value">
        <span class="visually-hidden">{label} </span>
        {text}
      </span>
    </span>
  );
}
