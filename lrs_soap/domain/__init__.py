"""Pure business rules of the LRS: standard library only."""
