//! Pyth `PriceUpdateV2` reading and checks.
