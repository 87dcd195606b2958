package dev.molt.vmm;

import java.util.Objects;

/**
 * The special registers of an x86-64 vCPU ({@code struct kvm_sregs}): segments, descriptor
 * tables, control registers, EFER and the APIC base. Loading them clears KVM's pending-interrupt
 * bitmap (Molt injects no interrupts).
 *
 * @param cs CS
 * @param ds DS
 * @param es ES
 * @param fs FS
 * @param gs GS
 * @param ss SS
 * @param tr the task register
 * @param ldt the LDT register
 * @param gdt GDTR
 * @param idt IDTR
 * @param cr0 CR0
 * @param cr2 CR2 (the last page-fault address)
 * @param cr3 CR3
 * @param cr4 CR4
 * @param cr8 CR8
 * @param efer the EFER MSR
 * @param apicBase the APIC base MSR
 */
public record SpecialRegisters(
    Segment cs,
    Segment ds,
    Segment es,
    Segment fs,
    Segment gs,
    Segment ss,
    Segment tr,
    Segment ldt,
    DescriptorTable gdt,
    DescriptorTable idt,
    long cr0,
    long cr2,
    long cr3,
    long cr4,
    long cr8,
    long efer,
    long apicBase) {

  /**
   * Checks that no component is null.
   *
   * @throws NullPointerException naming the null component
   */
  public SpecialRegisters {
    Objects.requireNonNull(cs, "cs");
    Objects.requireNonNull(ds, "ds");
    Objects.requireNonNull(es, "es");
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(gs, "gs");
    Objects.requireNonNull(ss, "ss");
    Objects.requireNonNull(tr, "tr");
    Objects.requireNonNull(ldt, "ldt");
    Objects.requireNonNull(gdt, "gdt");
    Objects.requireNonNull(idt, "idt");
  }

  /**
   * A builder starting from these values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(this);
    return b;
  }

  /** Builds a modified copy of {@link SpecialRegisters}. */
  public static final class Builder {
    private Segment cs;
    private Segment ds;
    private Segment es;
    private Segment fs;
    private Segment gs;
    private Segment ss;
    private Segment tr;
    private Segment ldt;
    private DescriptorTable gdt;
    private DescriptorTable idt;
    private long cr0;
    private long cr2;
    private long cr3;
    private long cr4;
    private long cr8;
    private long efer;
    private long apicBase;

    private Builder(SpecialRegisters from) {
      SpecialRegisters b = from;
      this.cs = b.cs;
      this.ds = b.ds;
      this.es = b.es;
      this.fs = b.fs;
      this.gs = b.gs;
      this.ss = b.ss;
      this.tr = b.tr;
      this.ldt = b.ldt;
      this.gdt = b.gdt;
      this.idt = b.idt;
      this.cr0 = b.cr0;
      this.cr2 = b.cr2;
      this.cr3 = b.cr3;
      this.cr4 = b.cr4;
      this.cr8 = b.cr8;
      this.efer = b.efer;
      this.apicBase = b.apicBase;
    }

    /**
     * Sets CS.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder cs(Segment value) {
      this.cs = value;
      return this;
    }

    /**
     * Sets DS.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder ds(Segment value) {
      this.ds = value;
      return this;
    }

    /**
     * Sets ES.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder es(Segment value) {
      this.es = value;
      return this;
    }

    /**
     * Sets FS.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder fs(Segment value) {
      this.fs = value;
      return this;
    }

    /**
     * Sets GS.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder gs(Segment value) {
      this.gs = value;
      return this;
    }

    /**
     * Sets SS.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder ss(Segment value) {
      this.ss = value;
      return this;
    }

    /**
     * Sets the task register.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder tr(Segment value) {
      this.tr = value;
      return this;
    }

    /**
     * Sets the LDT register.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder ldt(Segment value) {
      this.ldt = value;
      return this;
    }

    /**
     * Sets GDTR.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder gdt(DescriptorTable value) {
      this.gdt = value;
      return this;
    }

    /**
     * Sets IDTR.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder idt(DescriptorTable value) {
      this.idt = value;
      return this;
    }

    /**
     * Sets CR0.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder cr0(long value) {
      this.cr0 = value;
      return this;
    }

    /**
     * Sets CR2 (the last page-fault address).
     *
     * @param value the new value
     * @return this builder
     */
    public Builder cr2(long value) {
      this.cr2 = value;
      return this;
    }

    /**
     * Sets CR3.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder cr3(long value) {
      this.cr3 = value;
      return this;
    }

    /**
     * Sets CR4.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder cr4(long value) {
      this.cr4 = value;
      return this;
    }

    /**
     * Sets CR8.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder cr8(long value) {
      this.cr8 = value;
      return this;
    }

    /**
     * Sets the EFER MSR.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder efer(long value) {
      this.efer = value;
      return this;
    }

    /**
     * Sets the APIC base MSR.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder apicBase(long value) {
      this.apicBase = value;
      return this;
    }

    /**
     * The special registers.
     *
     * @return the value
     */
    public SpecialRegisters build() {
      return new SpecialRegisters(cs, ds, es, fs, gs, ss, tr, ldt, gdt, idt, cr0, cr2, cr3, cr4, cr8, efer, apicBase);
    }
  }
}
