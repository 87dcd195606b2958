package dev.molt.vmm;

/**
 * What {@link VirtualMachine#restoreMemory(MemorySnapshot)} did.
 *
 * @param incremental whether the VM knew which pages differed from the image (it was captured
 *     from, restored into or mapped into this VM); otherwise every region was re-mapped
 * @param pagesCopied pages copied back from the image
 * @param regionsRemapped regions re-mapped copy-on-write from the image instead
 * @param pagesDirtiedSinceLastHarvest pages the guest or host wrote since the previous capture,
 *     restore or {@link VirtualMachine#takeDirtyPages()}
 */
public record MemoryRestore(
    boolean incremental, long pagesCopied, int regionsRemapped, long pagesDirtiedSinceLastHarvest) {}
