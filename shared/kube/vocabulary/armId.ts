// The cluster name in an ARM resource id: the segment after `managedClusters/` (case-insensitive, as alerts
// lower-case the fixed segments), else the id's last segment, else the text itself.
export function clusterNameFromId(id: string): string {
  const m = /\/managedclusters\/([^/]+)/i.exec(id);
  if (m?.[1]) return m[1];
  return (
    id
      .split('/')
      .filter((s) => s !== '')
      .pop() ?? id
  );
}
