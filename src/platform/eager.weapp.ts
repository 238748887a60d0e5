/** Platform seam (WeChat mini-program): see eager.ts. Pages are their own entries; home is in the main package. */
export {}
