import { sides } from "@/lib/wiki/page-kinds";

/** A difference page's two sides, as the page shows them above its text (and the editor's preview too). */
/** `anchorable`: the sides are part of the text readers select to discuss a passage (lib/wiki/rendered-text.ts). */
export function ComparisonBlock({ dimension, tkm, sl, anchorable = false }: { dimension: string; tkm: string; sl: string; anchorable?: boolean }) {
  return (
    <section className="comparison comparison-page" aria-label={`${dimension}: both sides`}>
      <p className="comparison-dimension">{dimension}</p>
      <div className="comparison-grid">
        <div className="comparison-side comparison-tkm">
          <h2 className="comparison-label">{sides.tkm}</h2>
          <p data-anchor-segment={anchorable ? "tkm" : undefined}>{tkm}</p>
        </div>
        <div className="comparison-side comparison-sl">
          <h2 className="comparison-label">{sides.sl}</h2>
          <p data-anchor-segment={anchorable ? "sl" : undefined}>{sl}</p>
        </div>
      </div>
    </section>
  );
}
