/** Node's own Intl.Segmenter, the reference the tests compare with (ES2022: not in the mini program's lib). */
interface Segmenter {
  segment(text: string): Iterable<{ segment: string }>;
}
type SegmenterConstructor = new (locale: undefined, options: { granularity: 'grapheme' }) => Segmenter;

const segmenter = new (Intl as unknown as { Segmenter: SegmenterConstructor }).Segmenter(undefined, {
  granularity: 'grapheme',
});

export function graphemesBySegmenter(text: string): string[] {
  return [...segmenter.segment(text)].map((s) => s.segment);
}
