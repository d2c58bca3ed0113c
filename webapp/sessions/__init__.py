"""Sign-in sessions over time: how long they last, the warning before they end, the answer
to a request that comes after, and the forms such a request carried."""
