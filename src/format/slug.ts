// Step slugs: stable names for --from/--only and progress files, unique within a lab.

/** "Create the `veth` pair!" → "create-the-veth-pair". Falls back to "step" when nothing is left. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents: é → e
    .toLowerCase()
    .replace(/<[^>]*>/g, "") // inline HTML tags
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") // [text](url) → text
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "step" : slug;
}

/** Hands out slugs, appending -2, -3 … when one is already taken. */
export class SlugRegistry {
  private readonly taken = new Set<string>();
  /** The next suffix to try per base: a file of 80 000 steps with one title must not try 2, 3, … each time. */
  private readonly next = new Map<string, number>();

  claim(title: string): string {
    const base = slugify(title);
    let slug = base;
    let n = this.next.get(base) ?? 2;
    for (; this.taken.has(slug); n++) slug = `${base}-${n}`;
    this.next.set(base, n);
    this.taken.add(slug);
    return slug;
  }
}
