/** class-transformer transforms for environment variables (strings, or absent). */

/** `1`, `true`, `yes`, `on` (any case) → true; other text → false; absent or empty → undefined. */
export const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'boolean'
    ? value
    : typeof value === 'string' && value !== ''
      ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase())
      : undefined;

/** A number; absent or empty → undefined (the default applies). */
export const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
