/** Object names: slash-separated segments of safe characters under blobs/ or cache/, never "..". */
export function checkName(name: string): string {
  if (!/^(blobs|cache)(\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}){0,4}$/.test(name)) throw new Error('invalid storage object name');
  return name;
}
