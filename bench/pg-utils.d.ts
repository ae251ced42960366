// node-postgres's own conversion of a parameter to what it sends (@types/pg does not declare it).
declare module "pg/lib/utils.js" {
  const utils: { prepareValue(value: unknown): string | Buffer | null };
  export default utils;
}
