/** ArchUnit rules for sandbox state families (to be filled by the api/transitions issue). */
module dev.molt.archrules {
  requires transitive dev.molt.api;
  requires transitive com.tngtech.archunit;
}
