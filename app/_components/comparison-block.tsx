import { sides } from "@/lib/wiki/page-kinds";

/** A difference page's two sides, as the page shows them above its text (and the editor's preview too). */
export function ComparisonBlock({ dimension, tkm, sl }: { dimension: string; tkm: string; sl: string }) {
  return (
    <section className="comparison comparison-page" aria-label={`${dimension}: both sides`}>
      <p className="comparison-dimension">{dimension}</p>
      <div className="comparison-grid">
        <div className="comparison-side comparison-tkm">
          <h2 className="comparison-label">{sides.tkm}</h2>
          <p>{tkm}</p>
        </div>
        <div className="comparison-side comparison-sl">
          <h2 className="comparison-label">{sides.sl}</h2>
          <p>{sl}</p>
        </div>
      </div>
    </section>
  );
}
