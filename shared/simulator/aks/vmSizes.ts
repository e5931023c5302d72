// What a node of a given Azure VM size reports to Kubernetes: capacity from the size's vCPUs and memory, allocatable
// after AKS's reservations. AKS reserves CPU for kubelet/system daemons on a regressive scale by core count, and
// memory as 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112 and 2% above, plus the
// 750Mi hard eviction threshold (learn.microsoft.com/azure/aks/node-resource-reservations, "CPU reservations" and
// "Memory reservations" for node pools created before 1.29; the simulated clusters keep that scheme).

export interface VmSize {
  vcpus: number;
  memoryGiB: number;
}

/** The sizes the simulator knows; anything else is treated as Standard_D4ds_v5 (4 vCPU, 16 GiB). */
export const VM_SIZES: Record<string, VmSize> = {
  Standard_B2s: { vcpus: 2, memoryGiB: 4 },
  Standard_B4ms: { vcpus: 4, memoryGiB: 16 },
  Standard_DS2_v2: { vcpus: 2, memoryGiB: 7 },
  Standard_D2s_v3: { vcpus: 2, memoryGiB: 8 },
  Standard_D4s_v3: { vcpus: 4, memoryGiB: 16 },
  Standard_D2ds_v5: { vcpus: 2, memoryGiB: 8 },
  Standard_D4ds_v5: { vcpus: 4, memoryGiB: 16 },
  Standard_D8ds_v5: { vcpus: 8, memoryGiB: 32 },
  Standard_D16ds_v5: { vcpus: 16, memoryGiB: 64 },
  Standard_D32ds_v5: { vcpus: 32, memoryGiB: 128 },
  Standard_E4ds_v5: { vcpus: 4, memoryGiB: 32 },
  Standard_E8ds_v5: { vcpus: 8, memoryGiB: 64 },
  Standard_F8s_v2: { vcpus: 8, memoryGiB: 16 },
  Standard_NC6s_v3: { vcpus: 6, memoryGiB: 112 },
};

export function vmSizeOf(name: string): VmSize {
  return (
    VM_SIZES[name] ??
    VM_SIZES[Object.keys(VM_SIZES).find((k) => k.toLowerCase() === name.toLowerCase()) ?? ''] ?? {
      vcpus: 4,
      memoryGiB: 16,
    }
  );
}

/** kube-reserved CPU in millicores by core count, from the AKS table. */
const KUBE_RESERVED_CPU_MILLIS: Record<number, number> = { 1: 60, 2: 100, 4: 140, 8: 180, 16: 260, 32: 420, 64: 740 };

function reservedCpuMillis(vcpus: number): number {
  // Integer keys iterate in ascending order: the first size at least as large, else the largest.
  const cores = Object.keys(KUBE_RESERVED_CPU_MILLIS).map(Number);
  return KUBE_RESERVED_CPU_MILLIS[cores.find((c) => vcpus <= c) ?? cores[cores.length - 1]!]!;
}

const KI_PER_GIB = 1024 * 1024;

function reservedMemoryKi(memoryGiB: number): number {
  const bands: Array<[number, number]> = [
    [4, 0.25],
    [4, 0.2],
    [8, 0.1],
    [112, 0.06],
    [Infinity, 0.02],
  ];
  let left = memoryGiB;
  let reserved = 0;
  for (const [size, rate] of bands) {
    const take = Math.min(left, size);
    reserved += take * rate;
    left -= take;
    if (left <= 0) break;
  }
  return Math.round(reserved * KI_PER_GIB) + 750 * 1024;
}

export interface NodeResources {
  cpuMillis: number;
  memoryKi: number;
}

/** Capacity as the kubelet reports it: the guest sees a little less memory than the size's nominal GiB. */
export function nodeCapacity(size: VmSize): NodeResources {
  return { cpuMillis: size.vcpus * 1000, memoryKi: Math.round(size.memoryGiB * KI_PER_GIB * 0.9755) };
}

export function nodeAllocatable(size: VmSize): NodeResources {
  const capacity = nodeCapacity(size);
  return {
    cpuMillis: capacity.cpuMillis - reservedCpuMillis(size.vcpus),
    memoryKi: capacity.memoryKi - reservedMemoryKi(size.memoryGiB),
  };
}
